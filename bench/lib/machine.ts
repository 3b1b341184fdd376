import { cpus, loadavg, totalmem, type } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started and ended: the cores are shared. */
  loadStart?: number;
  loadEnd?: number;
}

export const loadNow = () => Math.round(loadavg()[0]! * 10) / 10;

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() || 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${type()} ${process.arch}`,
  };
}
