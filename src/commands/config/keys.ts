import { Command, Flags } from '@oclif/core';

export default class ConfigKeys extends Command {
  static override summary = 'List every configuration key with its environment variable, default and meaning.';
  static override examples = [
    { description: 'As a table for the terminal', command: '<%= config.bin %> config keys' },
    { description: 'As the Markdown table the README holds', command: '<%= config.bin %> config keys --markdown' },
    { description: 'As JSON', command: '<%= config.bin %> config keys --json' },
  ];

  static override flags = {
    markdown: Flags.boolean({ description: 'Print a Markdown table.', exclusive: ['json'] }),
    json: Flags.boolean({ description: 'Print JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigKeys);
    const { keyReference, referenceMarkdown } = await import('../../lib/config/reference.js');
    if (flags.markdown) return this.log(referenceMarkdown());
    const keys = keyReference();
    if (flags.json) return this.log(JSON.stringify(keys, null, 2));
    for (const k of keys) this.log(`${k.key} = ${k.default}    (${k.env ?? 'no env var'})\n    ${k.doc}`);
  }
}
