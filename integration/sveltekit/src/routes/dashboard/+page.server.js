import { redirect } from '@sveltejs/kit';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '$lib/server/session';

/** @type {import('./$types').PageServerLoad} */
export async function load({ cookies }) {
  const { session, commit } = await getSession(cookies, sessionConfig());
  const user = session.get('user');
  if (user === undefined) redirect(303, '/'); // a path: SvelteKit keeps the browser's origin
  await commit();
  return { user };
}
