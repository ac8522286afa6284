import { cookies } from 'next/headers';
import { defineSession, type SessionConfig } from 'sealed-session';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../../../lib/session';

let bigConfig: SessionConfig | undefined;

// Not for the docs: a session that grows past one cookie and shrinks back, through Next's cookies().
// Chunking needs a budget above the default 2048 bytes (docs/limits.md), so this route raises it.
export async function POST(request: Request): Promise<Response> {
  bigConfig ??= defineSession({ name: 'sid', store: sessionConfig().store, maxSize: 12288 });
  const { session, commit } = await getSession(await cookies(), bigConfig);
  session.set('big', 'x'.repeat(Number(new URL(request.url).searchParams.get('size'))));
  await commit();
  return Response.json({ size: session.get('big')?.length });
}
