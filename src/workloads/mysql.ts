// MySQL settings for a small node, written as my.cnf into a ConfigMap.
//
// The container's memory limit is the workload's `memory`. MySQL 8.4's defaults assume a server:
// a 128 MiB buffer pool, 64 MiB log buffer, performance_schema (~100+ MiB of instrumentation),
// the X plugin, a 1 GiB TempTable allowance. On 256-384 MiB that means the OOM killer. The
// buffer pool gets a quarter of the limit below 1 GiB (half from 1 GiB on, as the MySQL manual
// suggests for a dedicated server), in 16 MiB steps with a 16 MiB chunk size so MySQL does not
// round it up to its 128 MiB default chunk; the remaining memory covers the server's baseline
// (~120-150 MiB), per-connection buffers for the few connections allowed, and temp tables.
import { quantityMiB } from '../spec/rules.js';

export interface MysqlSizing {
  bufferPoolMiB: number;
  maxConnections: number;
}

export function mysqlSizing(memory: string): MysqlSizing {
  const mib = quantityMiB(memory);
  const share = mib >= 1024 ? 0.5 : 0.25;
  const bufferPoolMiB = Math.max(32, Math.floor((mib * share) / 16) * 16);
  const maxConnections = mib >= 1024 ? 100 : mib >= 512 ? 50 : 30;
  return { bufferPoolMiB, maxConnections };
}

export function mysqlConfig(memory: string): string {
  const { bufferPoolMiB, maxConnections } = mysqlSizing(memory);
  return [
    `# Written by hobbykube: MySQL sized for this workload's memory (${memory}) on a small node.`,
    "# hobbykube apply puts these lines back; change the workload's memory in hobbykube.yaml instead.",
    '[mysqld]',
    `innodb_buffer_pool_size = ${bufferPoolMiB}M`,
    'innodb_buffer_pool_chunk_size = 16M',
    'innodb_log_buffer_size = 8M',
    'innodb_redo_log_capacity = 64M',
    'performance_schema = OFF',
    'mysqlx = OFF',
    `max_connections = ${maxConnections}`,
    'table_open_cache = 256',
    'table_definition_cache = 400',
    'thread_cache_size = 4',
    'tmp_table_size = 16M',
    'max_heap_table_size = 16M',
    'temptable_max_ram = 32M',
    'key_buffer_size = 8M',
    'sort_buffer_size = 256K',
    'join_buffer_size = 256K',
    'skip_name_resolve = ON',
    'host_cache_size = 0',
    '',
  ].join('\n');
}
