// Constructed findings and rules for the formatter tests: the formatters take findings as input,
// so they are tested without depending on which rules exist.
import type { Finding } from '../../src/core/findings';
import type { Range } from '../../src/core/ir';
import type { Rule } from '../../src/core/rules/rule';

export function range(line: number, character: number, endLine = line, endCharacter = character + 10): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

export function finding(over: Partial<Finding> & Pick<Finding, 'rule' | 'path'>): Finding {
  return {
    cause: 'unscaled-input',
    severity: 'error',
    range: range(0, 0),
    message: 'a message',
    related: [],
    fixes: [],
    ...over,
  };
}

function rule(id: string, name: string, cause: Rule['cause'], severity: Rule['defaultSeverity']): Rule {
  return {
    id,
    name,
    cause,
    title: `${name} title`,
    defaultSeverity: severity,
    docs: {
      whatItDoes: `Checks ${name}.`,
      whyItFails: 'Because numbers grow: 1e3 squared is 1e6.',
      example: 'x = np.array([[1, 1000]])',
      fix: '```python\nx = StandardScaler().fit_transform(x)\n```',
      measured: 'never NaN; stalls at 2.3e6 in 1 of 1 seed',
      evidence: 'Keras ends at loss 2.3e6.',
    },
    check: () => [],
  };
}

export const FIXTURE_RULES: Rule[] = [
  rule('NAN101', 'unscaled-input', 'unscaled-input', 'error'),
  rule('NAN102', 'feature-scale-disparity', 'feature-scale-disparity', 'warning'),
  rule('NAN301', 'high-learning-rate', 'high-learning-rate', 'info'),
];
