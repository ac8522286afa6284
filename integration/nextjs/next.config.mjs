/** @type {import('next').NextConfig} */
export default {
  poweredByHeader: false,
  // This folder is its own project (own lockfile), inside the library's repository.
  turbopack: { root: import.meta.dirname },
};
