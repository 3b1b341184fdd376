/**
 * DynamoDB Local for the benchmark. The local stack starts it with a small heap and the C1
 * compiler only, which halves its start-up time; a benchmark that writes a hundred thousand
 * visits is better served by the full JIT and a bigger heap.
 */
import { type Emulator, startDynamoLocal } from '../../local/emulators.js';

export function startBenchDynamo(options: { fullJit: boolean }): Promise<Emulator> {
  return startDynamoLocal(options.fullJit ? { javaToolOptions: '-Xmx768m -XX:+UseParallelGC' } : {});
}
