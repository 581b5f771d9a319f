import { Client } from 'pg';

/** The role the application connects as: owns nothing, cannot bypass row-level security. */
export const APP_ROLE = 'coursegraph_app';

/** Lets the application role log in with `password` (run as the owner, after migrations). */
export async function enableAppRoleLogin(ownerUrl: string, password: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}

/** The owner URL with the application role's credentials in place of the owner's. */
export function appUrlFrom(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}
