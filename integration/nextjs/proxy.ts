import { NextResponse, type NextRequest } from 'next/server';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from './lib/session';

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { session, commit } = await getSession(request.cookies, sessionConfig());
  if (!session.has('user')) return NextResponse.redirect(new URL('/', request.nextUrl));
  const response = NextResponse.next();
  await commit(response.cookies); // a rolling renewal, when due, goes out on the response
  return response;
}

// Only the pages that need a user: without a matcher the proxy would also guard `/` (where one
// signs in) and `/_next/static`, and redirect every request in a loop.
export const config = { matcher: ['/dashboard/:path*'] };
