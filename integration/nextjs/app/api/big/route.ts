import { cookies } from 'next/headers';
import { createKeyring, defineSession, type SessionConfig } from 'sealed-session';
import { getSession } from 'sealed-session/cookies';

// Not for the docs: a session that grows past one cookie and shrinks back, through Next's cookies().
// Its own cookie name and a raised maxSize (the default keeps a session to one cookie).
let config: SessionConfig | undefined;
const bigConfig = () => (config ??= defineSession({ name: 'big', keys: createKeyring(process.env.SESSION_KEY!), maxSize: 12000 }));

export async function POST(request: Request): Promise<Response> {
  const { session, commit } = await getSession(await cookies(), bigConfig());
  session.set('big', 'x'.repeat(Number(new URL(request.url).searchParams.get('size'))));
  await commit();
  return Response.json({ size: session.get('big')?.length });
}
