/** Renders the CLI reference (every command's usage, description and options) from the commander definition. */
import type { Command } from 'commander';

export function cliReference(program: Command): string {
  const sections: string[] = [];
  for (const command of program.commands) {
    if (command.name() === 'help') continue;
    const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    const lines = [`### \`asmesh ${command.name()}${args ? ` ${args}` : ''}\``, '', capitalise(command.description()), ''];
    const options = command.options.filter((o) => !o.hidden);
    if (options.length > 0) {
      lines.push('| option | meaning |', '|---|---|');
      for (const option of options) {
        const fallback = option.defaultValue !== undefined && typeof option.defaultValue !== 'boolean' && !Array.isArray(option.defaultValue)
          ? ` (default: \`${String(option.defaultValue)}\`)` : '';
        lines.push(`| \`${option.flags}\` | ${option.description.replace(/\|/g, '\\|')}${fallback} |`);
      }
      lines.push('');
    }
    sections.push(lines.join('\n').trimEnd());
  }
  return sections.join('\n\n');
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.');
}
