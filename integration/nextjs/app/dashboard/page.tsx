import { cookies } from 'next/headers';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../../lib/session';
import { signOut } from '../actions';

// Anonymous visitors never get here: proxy.ts redirects them.
export default async function Dashboard() {
  const { session } = await getSession(await cookies(), sessionConfig());
  return (
    <form action={signOut}>
      <p id="who">Dashboard of {session.get('user')}</p>
      <button type="submit">Sign out</button>
    </form>
  );
}
