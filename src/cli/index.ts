import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { openRuntime, type Runtime } from '../app';
import { mintDevToken } from '../shared/auth';
import { RequestContext } from '../shared/context';
import { Permission, Role } from '../shared/permissions';
import { UserErrors } from '../shared/payload';
import { buildAppSchema, printAppSchema } from '../schema';
import { PersistedQueryList } from '../http/persisted-queries';
import { organizationService } from '../modules/organization/organization.service';
import { apiKeyService } from '../modules/api-key/api-key.service';
import { ltiPlatformService } from '../modules/lti/lti-platform.service';
import { AppUser } from '../modules/user/user.entity';
import { ApiKey } from '../modules/api-key/api-key.entity';
import { withTenant } from '../shared/tenant-tx';
import { idOf, toGlobalId } from '../shared/ids';
import { SingleBar, Presets } from 'cli-progress';
import { scormPackageService } from '../modules/scorm/scorm-package.service';
import { addScormActivities } from '../modules/scorm/scorm-activity.service';
import { listMailbox } from '../modules/notification/mailbox';
import { loadConfig } from '../config';
import { registerBackupCommands } from './backup';
import { registerReportCommands } from './report';
import { registerDemoCommands } from './demo';

const SCHEMA_FILE = path.resolve(__dirname, '../../../schema/schema.graphql');

const enumValue = <T extends string>(values: readonly T[]) => (raw: string): T => {
  const v = raw.toUpperCase() as T;
  if (!values.includes(v)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
  return v;
};

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime({ logLevel: process.env.LOG_LEVEL ?? 'warn', toStderr: true });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

async function orgIdOf(rt: Runtime, org: string): Promise<string> {
  const id = await organizationService.resolveClaim(rt.dataSource, org);
  if (!id) throw new Error(`no organization "${org}"`);
  return id;
}

const program = new Command('coursegraph').description('Coursegraph operator commands').showHelpAfterError();

program
  .command('token')
  .description('Mint a development JWT (signed with the local JWT secret)')
  .option('--org <slug|id>', 'organization of the user')
  .option('--user <externalId>', "the user's external id")
  .option('--role <role>', 'pick the first active user holding this role', enumValue(Object.values(Role)))
  .option('--platform-admin <subject>', 'a platform admin token instead (e.g. platform-admin)')
  .option('--ttl <seconds>', 'lifetime in seconds', (v) => Number.parseInt(v, 10), 8 * 3600)
  .action(async (opts: { org?: string; user?: string; role?: Role; platformAdmin?: string; ttl: number }) => {
    await withRuntime(async (rt) => {
      if (opts.platformAdmin) {
        process.stdout.write(`${await mintDevToken(rt.config.jwt, { subject: opts.platformAdmin }, opts.ttl)}\n`);
        return;
      }
      if (!opts.org || (!opts.user && !opts.role)) throw new Error('give --org and --user or --role (or --platform-admin)');
      const orgId = await orgIdOf(rt, opts.org);
      const user = await withTenant(rt.dataSource, orgId, async (tx) => {
        const qb = tx.manager.createQueryBuilder(AppUser, 'u').where("u.status = 'ACTIVE'");
        if (opts.user) qb.andWhere('u.external_id = :ext', { ext: opts.user });
        if (opts.role) qb.andWhere(':role = ANY(u.roles)', { role: opts.role }).orderBy('cardinality(u.roles)').addOrderBy('u.external_id');
        return qb.getOne();
      }, true);
      if (!user) throw new Error('no such active user in that organization');
      process.stderr.write(`token for ${user.name} (${user.externalId}, ${user.roles.join('+')})\n`);
      process.stdout.write(`${await mintDevToken(rt.config.jwt, { subject: user.externalId, organization: orgId }, opts.ttl)}\n`);
    });
  });

const org = program.command('org').description('Organizations (tenants)');
org
  .command('create')
  .description('Create an organization, optionally with its first org admin')
  .requiredOption('--slug <slug>', 'short unique name (a-z, 0-9, -)')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--industry <industry>', 'industry')
  .option('--name-en <name>', 'English name')
  .option('--admin-external-id <id>', "first org admin's external id")
  .option('--admin-name <name>', "first org admin's name")
  .action(async (opts: { slug: string; name: string; industry: string; nameEn?: string; adminExternalId?: string; adminName?: string }) => {
    await withRuntime(async (rt) => {
      const admin = opts.adminExternalId ? { externalId: opts.adminExternalId, name: opts.adminName ?? opts.adminExternalId } : null;
      const created = await RequestContext.run(rt.deps, { kind: 'system', organizationId: null, label: 'cli' }, rt.log, (ctx) =>
        organizationService.create(ctx, { slug: opts.slug, name: opts.name, nameEn: opts.nameEn, industry: opts.industry, admin }),
      );
      process.stdout.write(`${JSON.stringify({ id: created.id, slug: created.slug })}\n`);
    });
  });

const apikey = program.command('apikey').description('API keys for LMS back ends');
apikey
  .command('create')
  .description('Create an API key; the key is printed once')
  .requiredOption('--org <slug|id>', 'organization')
  .requiredOption('--name <name>', 'what the key is for')
  .requiredOption('--scopes <list>', `comma-separated: ${Object.values(Permission).filter((p) => p !== Permission.PLATFORM_MANAGE).join(',')}`)
  .action(async (opts: { org: string; name: string; scopes: string }) => {
    await withRuntime(async (rt) => {
      const scopes = opts.scopes.split(',').map((s) => enumValue(Object.values(Permission))(s.trim()));
      const orgId = await orgIdOf(rt, opts.org);
      const { secret, apiKey } = await RequestContext.run(rt.deps, { kind: 'system', organizationId: orgId, label: 'cli' }, rt.log, (ctx) =>
        apiKeyService.create(ctx, opts.name, scopes),
      );
      process.stderr.write(`created key ${apiKey.keyId}; store it now, it is not shown again\n`);
      process.stdout.write(`${secret}\n`);
    });
  });
apikey
  .command('revoke')
  .description('Revoke an API key (takes effect on the next request)')
  .requiredOption('--org <slug|id>', 'organization')
  .requiredOption('--key-id <keyId>', 'the key id (the part after cg_)')
  .action(async (opts: { org: string; keyId: string }) => {
    await withRuntime(async (rt) => {
      const orgId = await orgIdOf(rt, opts.org);
      await RequestContext.run(rt.deps, { kind: 'system', organizationId: orgId, label: 'cli' }, rt.log, async (ctx) => {
        const key = await ctx.manager.findOneBy(ApiKey, { organizationId: orgId, keyId: opts.keyId });
        if (!key) throw new Error('no such key');
        await apiKeyService.revoke(ctx, key.id);
      });
      process.stdout.write('revoked\n');
    });
  });

const lti = program.command('lti').description('LTI 1.3 tool');
lti
  .command('rotate-key')
  .description("Rotate the organization's LTI tool key: the new key signs, the old one stays in the JWKS for an hour")
  .requiredOption('--org <slug|id>', 'organization')
  .action(async (opts: { org: string }) => {
    await withRuntime(async (rt) => {
      const orgId = await orgIdOf(rt, opts.org);
      const kid = await RequestContext.run(rt.deps, { kind: 'system', organizationId: orgId, label: 'cli' }, rt.log, (ctx) => ltiPlatformService.rotateKey(ctx));
      process.stdout.write(`${kid}\n`);
    });
  });

const scorm = program.command('scorm').description('SCORM packages');
scorm
  .command('import')
  .description('Import a SCORM 1.2/2004 zip (with a progress bar); optionally add its SCOs to a draft module')
  .requiredOption('--org <slug|id>', 'organization')
  .requiredOption('--file <zip>', 'the package')
  .option('--module <id>', 'global id of a draft module to add one activity per SCO to')
  .action(async (opts: { org: string; file: string; module?: string }) => {
    await withRuntime(async (rt) => {
      const orgId = await orgIdOf(rt, opts.org);
      const bar = new SingleBar({ format: 'unpacking {bar} {value}/{total} files', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 250 }, Presets.shades_classic);
      let started = false;
      const pkg = await RequestContext.run(rt.deps, { kind: 'system', organizationId: orgId, label: 'cli' }, rt.log, async (ctx) => {
        const imported = await scormPackageService.importZip(ctx, path.resolve(opts.file), path.basename(opts.file), (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        });
        if (opts.module) await addScormActivities(ctx, idOf('CourseModule', opts.module), imported.id, true);
        return imported;
      }).finally(() => bar.stop());
      process.stdout.write(`${JSON.stringify({ id: toGlobalId('ScormPackage', pkg.id), title: pkg.title, version: pkg.version, scos: pkg.scos.map((s) => s.title) })}\n`);
    });
  });

program
  .command('migrate')
  .description('Run pending database migrations (as the owner role)')
  .action(async () => {
    await withRuntime(async () => undefined);
    process.stdout.write('migrations are up to date\n');
  });

registerBackupCommands(program);
registerReportCommands(program, withRuntime, orgIdOf);
registerDemoCommands(program, withRuntime, orgIdOf);

const schema = program.command('schema').description('The published GraphQL schema');
schema.command('emit').description('Write schema/schema.graphql from the code').action(async () => {
  writeFileSync(SCHEMA_FILE, await printAppSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
});
schema.command('check').description('Fail when schema/schema.graphql does not match the code').action(async () => {
  const current = await printAppSchema();
  let committed = '';
  try {
    committed = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== current) {
    process.stderr.write('schema/schema.graphql is stale: run `npm run schema:emit` and commit it\n');
    process.exitCode = 1;
  } else process.stdout.write('schema/schema.graphql is up to date\n');
});

program
  .command('persisted-queries')
  .description("Check an Apollo persisted query manifest (written by Apollo's generate-persisted-query-manifest) against this schema, as the server does at start")
  .argument('<manifest>', 'the persisted-query-manifest.json for PERSISTED_QUERIES_FILE')
  .action(async (file: string) => {
    const list = PersistedQueryList.load(file, await buildAppSchema());
    process.stdout.write(`${file}: ${list.size} operations fit the schema\n`);
  });

program
  .command('mailbox')
  .description('List the development mailbox: the emails written as .eml files while no SMTP_URL is set')
  .option('--limit <n>', 'how many of the newest messages', (v) => Number.parseInt(v, 10), 20)
  .action(async (opts: { limit: number }) => {
    const { mailboxDir } = loadConfig().mail;
    const entries = await listMailbox(mailboxDir, opts.limit);
    if (entries.length === 0) process.stderr.write(`no messages in ${path.resolve(mailboxDir)}\n`);
    for (const e of entries) process.stdout.write(`${e.date}  ${e.to}  ${e.subject}\n  ${e.file}\n`);
  });

program.parseAsync().catch((err: unknown) => {
  const message = err instanceof UserErrors ? err.errors.map((e) => `${e.path.join('.')}: ${e.message}`).join('\n') : err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
});
