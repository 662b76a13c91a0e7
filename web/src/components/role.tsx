// The user's role in the investigation on screen (team mode), or 'local' (local mode: everything allowed).
import { createContext, useContext } from 'react';
import type { Role } from '../api.ts';

export const RoleContext = createContext<Role | 'local' | null>('local');

/** Whether the current user may do what needs `role` (the server checks it anyway). */
export function useAllowed(role: Role): boolean {
  const current = useContext(RoleContext);
  if (current === 'local') return true;
  const order: Role[] = ['reader', 'editor', 'admin'];
  return current !== null && order.indexOf(current) >= order.indexOf(role);
}
