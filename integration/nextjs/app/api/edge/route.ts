import { cookies } from 'next/headers';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../../../lib/session';

// Not for the docs: a Route Handler on Next's Edge runtime, whose sandbox hands out WebCrypto
// promises and buffers from another realm (the cross-realm bug of issue 15). It reads the session
// (unseal on WebCrypto) and, on POST, writes it (seal).
export const runtime = 'edge';

export async function GET(): Promise<Response> {
  const { session } = await getSession(await cookies(), sessionConfig());
  return Response.json({ edge: session.get('edge') ?? null, user: session.get('user') ?? null });
}

export async function POST(): Promise<Response> {
  const { session, commit } = await getSession(await cookies(), sessionConfig());
  session.set('edge', String(Number(session.get('edge') ?? 0) + 1));
  await commit();
  return Response.json({ edge: session.get('edge') });
}
