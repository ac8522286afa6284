'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getSession } from 'sealed-session/cookies';
import { sessionConfig } from '../lib/session';

export async function signIn(form: FormData): Promise<void> {
  const { session, commit } = await getSession(await cookies(), sessionConfig());
  session.set('user', String(form.get('user') ?? ''));
  session.regenerate(); // a new session after login: no fixation
  await commit();
  redirect('/dashboard'); // a relative redirect: stays on the origin the browser used
}

export async function signOut(): Promise<void> {
  const { session, commit } = await getSession(await cookies(), sessionConfig());
  session.destroy();
  await commit();
  redirect('/');
}
