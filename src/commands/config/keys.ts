import { Flags } from '@oclif/core';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

export default class ConfigKeys extends NoraCommand {
  static override summary = 'List every configuration key with its environment variable, default and meaning.';
  static override examples = [
    { description: 'For the terminal', command: '<%= config.bin %> config keys' },
    { description: 'As the Markdown table the README holds', command: '<%= config.bin %> config keys --markdown' },
    { description: 'One JSON object per key and line', command: '<%= config.bin %> config keys --json' },
  ];

  static override flags = {
    ...outputFlags,
    markdown: Flags.boolean({ description: 'Print a Markdown table.', exclusive: ['json', 'format'] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigKeys);
    const { keyReference, referenceMarkdown } = await import('../../lib/config/reference.js');
    const { outputMode } = await import('../output/flags.js');
    const { printList } = await import('../output/print.js');
    const { out } = await import('../output/colour.js');
    if (flags.markdown) return this.log(referenceMarkdown());
    const keys = keyReference();
    const mode = outputMode(flags);
    // The meanings are sentences: as text each key takes two lines instead of a very wide table.
    if (mode === 'table') return this.log(keys.map((k) => `${out.bold(k.key)} = ${k.default}    (${k.env ?? 'no env var'})\n    ${k.doc}`).join('\n'));
    printList(mode, keys, [
      { header: 'KEY', value: (k) => k.key },
      { header: 'ENV', value: (k) => k.env },
      { header: 'DEFAULT', value: (k) => k.default },
      { header: 'MEANING', value: (k) => k.doc },
    ]);
  }
}
