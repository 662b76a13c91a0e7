// Team mode: the investigations this account may open, with its role in each.
import type { Me } from '../api.ts';
import { Link } from '../router.tsx';

const ROLE_TEXT = { reader: 'search, read, download originals', editor: 'also export the report', admin: 'also manage members, read the audit log' };

export function InvestigationsPage({ me }: { me: Me }) {
  return (
    <div>
      <h1>Investigations</h1>
      {me.investigations.length ? (
        <ul className="investigations" data-testid="investigations">
          {me.investigations.map((i) => (
            <li key={i.id}>
              <Link raw to={`/i/${i.id}/`} className="investigation">{i.name}</Link>{' '}
              <span className="muted"><code>{i.id}</code> · {i.role}: {ROLE_TEXT[i.role]}</span>
            </li>
          ))}
        </ul>
      ) : <p className="muted">Your account has no investigation yet: ask an admin to give you access.</p>}
    </div>
  );
}
