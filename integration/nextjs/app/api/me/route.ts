import { cookies } from 'next/headers';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../../../lib/session';

export async function GET(): Promise<Response> {
  const { session, commit } = await getSession(await cookies(), sessionConfig());
  const user = session.get('user');
  // Relative Location (RFC 9110 §10.2.2): request.url names localhost, not the browser's origin.
  if (user === undefined) return new Response(null, { status: 303, headers: { location: '/' } });
  session.set('visits', String(Number(session.get('visits') ?? 0) + 1));
  await commit();
  return Response.json({ user, visits: session.get('visits') });
}
