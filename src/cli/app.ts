/** The command line: dispatch to a command, turn usage errors into exit code 2. */
import { runCheck, CHECK_HELP } from './check';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';
import { TOOL_VERSION } from './meta';
import { runReproduce, REPRODUCE_HELP } from './reproduce';
import { runRule, runRules, RULE_HELP, RULES_HELP } from './rules-command';

export const MAIN_HELP = `nanguard ${TOOL_VERSION}: finds what makes Keras autoencoder training go NaN or stall.

Usage:
  nanguard check PATH... [--format text|json|sarif] [--select RULES] [--ignore RULES]
                         [--severity RULE=LEVEL] [--fail-level error|warning|info]
                         [--config FILE] [--output FILE] [--no-color]
  nanguard rules [--format text|json]
  nanguard rule ID|NAME [--format text|json]
  nanguard reproduce FILE [--model NAME] [--epochs N] [--seed S]
                          [--backend auto|node|wasm|cpu] [--format text|json]
  nanguard help [COMMAND]
  nanguard --version

Run \`nanguard COMMAND --help\` for a command's options.
`;

const COMMAND_HELP: Record<string, string> = { check: CHECK_HELP, rules: RULES_HELP, rule: RULE_HELP, reproduce: REPRODUCE_HELP };

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'rules':
        return runRules(rest, io);
      case 'rule':
        return runRule(rest, io);
      case 'reproduce':
        return await runReproduce(rest, io);
      case '--version':
      case '-V':
      case 'version':
        io.stdout(`nanguard ${TOOL_VERSION}\n`);
        return EXIT_OK;
      case '--help':
      case '-h':
      case 'help': {
        const topic = rest[0];
        io.stdout(topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : MAIN_HELP);
        return EXIT_OK;
      }
      case undefined:
        io.stderr(MAIN_HELP);
        return EXIT_USAGE;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`nanguard: ${(err as Error).message}\nRun \`nanguard --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr(`nanguard: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    return EXIT_USAGE;
  }
}
