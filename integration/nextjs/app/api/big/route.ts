import { cookies } from 'next/headers';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../../../lib/session';

// Not for the docs: a session that grows past one cookie and shrinks back, through Next's cookies().
export async function POST(request: Request): Promise<Response> {
  const { session, commit } = await getSession(await cookies(), sessionConfig());
  session.set('big', 'x'.repeat(Number(new URL(request.url).searchParams.get('size'))));
  await commit();
  return Response.json({ size: session.get('big')?.length });
}
