import { cookies } from 'next/headers';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../lib/session';
import { signIn, signOut } from './actions';

// A Server Component reads the session; its cookies are read-only, so it never commits.
export default async function Home() {
  const { session } = await getSession(await cookies(), sessionConfig());
  const user = session.get('user');
  if (user === undefined) {
    return (
      <form action={signIn}>
        <input name="user" aria-label="user" required />
        <button type="submit">Sign in</button>
      </form>
    );
  }
  return (
    <form action={signOut}>
      <p id="who">Signed in as {user}</p>
      <button type="submit">Sign out</button>
    </form>
  );
}
