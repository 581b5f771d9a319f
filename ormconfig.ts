import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './src/db/naming';
import { CountingLogger } from './src/db/sql-counter';
import { entities } from './src/entities';
import { migrations } from './migrations';

/** Builds the one DataSource shape the app, the CLI, the tests and the TypeORM CLI share. */
export function createDataSource(url: string, options: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['query', 'error'],
    logger: new CountingLogger(),
    extra: { max: Number(process.env.DB_POOL_SIZE ?? 20), application_name: 'coursegraph' },
    ...options,
  } as DataSourceOptions);
}

/** For the TypeORM CLI (`npx typeorm migration:generate -d dist/ormconfig.js`): the owner URL. */
export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/coursegraph');
