/** What the CLI says about itself: version, home page, where rule docs live. */
import packageJson from '../../package.json';

export const TOOL_VERSION: string = packageJson.version;
export const HOMEPAGE = 'https://github.com/nanguard/nanguard';
export const RULE_DOCS_BASE = `${HOMEPAGE}/blob/main/docs/rules`;
