import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  // The hosts this app answers as. Without them Astro takes every request's host to be
  // `localhost` (it ignores an unlisted Host header), so its same-origin check refuses the form
  // posts of a browser on 127.0.0.1.
  security: { allowedDomains: [{ hostname: '127.0.0.1', protocol: 'http' }] },
});
