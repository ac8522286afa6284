import { redirect } from '@sveltejs/kit';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '$lib/server/session';

/** @type {import('./$types').PageServerLoad} */
export async function load({ cookies }) {
  const { session, commit } = await getSession(cookies, sessionConfig());
  await commit(); // SvelteKit lets a load write cookies: a rolling renewal goes out here
  return { user: session.get('user') ?? null };
}

/** @type {import('./$types').Actions} */
export const actions = {
  signin: async ({ cookies, request }) => {
    const form = await request.formData();
    const { session, commit } = await getSession(cookies, sessionConfig());
    session.set('user', String(form.get('user') ?? ''));
    session.regenerate(); // a new session after login: no fixation
    await commit();
    redirect(303, '/dashboard');
  },
  signout: async ({ cookies }) => {
    const { session, commit } = await getSession(cookies, sessionConfig());
    session.destroy();
    await commit();
    redirect(303, '/');
  },
};
