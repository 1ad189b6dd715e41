/** Data files read by numpy and pandas (`np.load`, `pd.read_csv`): an array of unknown values, with the file's shape when the host has read it. */
import type { SourceLocation } from '../../../ir';
import { fileArray } from '../data';
import type { Value } from '../values';
import type { CallContext } from './library';

export function dataFileArray(ctx: CallContext, loader: string, arg: Value | undefined, location: SourceLocation): Value {
  const path = arg?.k === 'str' ? arg.v : arg?.k === 'file' ? arg.path : '<unknown>';
  const array = fileArray(loader, path, location);
  if (path !== '<unknown>') {
    array.filePath = path;
    array.valuesFrom = { path };
    const shape = ctx.dataShape(path);
    if (shape) array.shape = [...shape];
  }
  return { k: 'array', array };
}
