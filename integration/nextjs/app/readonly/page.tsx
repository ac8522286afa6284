import { cookies } from 'next/headers';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../../lib/session';

// Not for the docs: shows what a Server Component that tries to write gets.
export default async function ReadOnly() {
  const { session, commit } = await getSession(await cookies(), sessionConfig());
  session.set('user', 'from-a-server-component');
  try {
    await commit();
    return <p id="result">written</p>;
  } catch (error) {
    return <p id="result">{error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'}</p>;
  }
}
