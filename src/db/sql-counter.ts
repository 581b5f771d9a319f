import type { Logger, QueryRunner } from 'typeorm';

/** Per-query-runner statement counter; the request context reads it to expose SQL counts. */
export class CountingLogger implements Logger {
  constructor(private readonly onError: (message: string) => void = () => undefined) {}
  logQuery(_query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    if (queryRunner) queryRunner.data.sqlCount = ((queryRunner.data.sqlCount as number | undefined) ?? 0) + 1;
  }
  logQueryError(error: string | Error): void {
    this.onError(typeof error === 'string' ? error : error.message);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
