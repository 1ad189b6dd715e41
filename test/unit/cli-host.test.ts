import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { collectFiles } from '../../src/cli/files';
import { commonAncestor, displayPath } from '../../src/cli/paths';
import { folderContains } from '../../src/core/paths';
import { makeWorkspace } from './cli-workspace';

describe('the file-system analysis host', () => {
  let ws: ReturnType<typeof makeWorkspace>;
  let outside: ReturnType<typeof makeWorkspace>;
  before(() => {
    ws = makeWorkspace({
      'project/train.py': 'x = 1\n',
      'project/config.json': '\ufeff{"learning_rate": 0.5}\n',
      'project/data/big.csv': 'a\n' + '1\n'.repeat(2000),
    });
    outside = makeWorkspace({ 'secret.json': '{"token": 1}' });
    symlinkSync(join(outside.root, 'secret.json'), join(ws.root, 'project', 'link.json'));
  });
  after(() => {
    ws.cleanup();
    outside.cleanup();
  });

  const host = () => createFileSystemHost({ cwd: ws.root, workspaceRoot: join(ws.root, 'project'), maxBytes: 1000 });

  it('reads a file beside the analysed one, relative to its folder, with a display path and no BOM', async () => {
    assert.deepEqual(await host().readText('config.json', 'project/train.py'), { path: 'project/config.json', text: '{"learning_rate": 0.5}\n' });
    assert.equal((await host().readText(join(ws.root, 'project', 'config.json'), 'project/train.py'))?.path, 'project/config.json');
  });

  it('refuses paths outside the workspace, symbolic links leading out, folders, missing and oversized files', async () => {
    const h = host();
    assert.equal(await h.readText('../../secret.json', 'project/train.py'), undefined);
    assert.equal(await h.readText(join(outside.root, 'secret.json'), 'project/train.py'), undefined);
    assert.equal(await h.readText('link.json', 'project/train.py'), undefined);
    assert.equal(await h.readText('data', 'project/train.py'), undefined);
    assert.equal(await h.readText('nope.json', 'project/train.py'), undefined);
    assert.equal(await h.readText('data/big.csv', 'project/train.py'), undefined);
    assert.ok(await createFileSystemHost({ cwd: ws.root, workspaceRoot: join(ws.root, 'project') }).readText('data/big.csv', 'project/train.py'));
  });
});

describe('paths', () => {
  it('displays relative paths with forward slashes', () => {
    assert.equal(displayPath('/a/b', '/a/b/c/d.py'), 'c/d.py');
    assert.equal(displayPath('/a/b', '/a/x.py'), '../x.py');
  });
  it('knows what is inside what', () => {
    assert.ok(folderContains('/a/b', '/a/b/c'));
    assert.ok(folderContains('/a/b', '/a/b'));
    assert.ok(!folderContains('/a/b', '/a/bc'));
    assert.ok(!folderContains('/a/b', '/a'));
    assert.ok(!folderContains('/a/b', '/x/b/c'));
    // A name that merely starts with two dots is inside; a step up is not.
    assert.ok(folderContains('/a/b', '/a/b/..data/x.csv'));
    assert.ok(!folderContains('/a/b/c', '/a/b/d'));
  });
  it('finds the common ancestor', () => {
    assert.equal(commonAncestor(['/a/b/c', '/a/b/d/e']), '/a/b');
    assert.equal(commonAncestor(['/a/b']), '/a/b');
    assert.equal(commonAncestor(['/a', '/b']), '/');
  });
});

describe('collecting files', () => {
  it('lists each file once, sorted, and remembers which were named explicitly', () => {
    const ws = makeWorkspace({ 'b.py': '', 'a/c.ipynb': '{}', 'a/d.json': '{}', 'a/e.txt': '', 'a/.git/f.py': '' });
    try {
      const got = collectFiles([ws.root, join(ws.root, 'b.py')]);
      assert.deepEqual(got.files.map((f) => displayPath(ws.root, f)), ['a/c.ipynb', 'a/d.json', 'b.py']);
      assert.deepEqual([...got.explicit].map((f) => displayPath(ws.root, f)), ['b.py']);
    } finally {
      ws.cleanup();
    }
  });
});
