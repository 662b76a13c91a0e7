// Team mode: the login form, shown whenever the API answers 401.
import { useState, type FormEvent } from 'react';
import { ApiError, teamApi, type Me } from '../api.ts';

const MESSAGES: Record<string, string> = {
  E_API_UNAUTHENTICATED: 'Wrong user name or password.',
};

export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await teamApi.login(user, password));
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      setError(MESSAGES[code] ?? (err as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="login" onSubmit={submit} aria-label="Log in">
      <h1>Log in to tamis</h1>
      <label>User name <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required autoFocus /></label>
      <label>Password <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <button type="submit" disabled={busy}>Log in</button>
    </form>
  );
}
