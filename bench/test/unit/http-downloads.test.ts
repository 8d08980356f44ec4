// Where a file is downloaded from: the server's URL, or with --http BASE its path and query under BASE.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { downloadUrl } from '../../engine/http-downloads.js';

describe('downloadUrl', () => {
  test.each([
    ['http://0.0.0.0:8080/res/files/x?q=1', null, 'http://0.0.0.0:8080/res/files/x?q=1'],
    ['https://files.example:8443/res/a%20b.bin', null, 'https://files.example:8443/res/a%20b.bin'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://127.0.0.1:9090', 'http://127.0.0.1:9090/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://127.0.0.1:9090/', 'http://127.0.0.1:9090/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/prefix/', 'http://h:1/prefix/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/prefix', 'http://h:1/prefix/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/a/b//', 'http://h:1/a/b/res/files/x?q=1'],
    ['http://server.cluster.local/res/files/tb-1-2-3-0-1-10.bin', 'https://gateway:443/', 'https://gateway/res/files/tb-1-2-3-0-1-10.bin'],
    ['http://0.0.0.0:8080/res/x?a=1&b=2', 'http://h:1/prefix?ignored=1', 'http://h:1/prefix/res/x?a=1&b=2'],
    ['http://0.0.0.0:8080/', 'http://h:1/prefix/', 'http://h:1/prefix/'],
    // A server path starting with // is a path, not a host (joined as text, never resolved as a URL).
    ['http://0.0.0.0:8080//files/x?q=1', 'http://127.0.0.1:9090', 'http://127.0.0.1:9090//files/x?q=1'],
  ])('%s with base %s: %s', (serverUrl, base, expected) => {
    expect(downloadUrl(serverUrl, base).href).toBe(expected);
  });

  test('with a path prefix: /prefix/res/files/x?q=1', () => {
    const url = downloadUrl('http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/prefix/');
    expect(url.origin).toBe('http://h:1');
    expect(url.pathname + url.search).toBe('/prefix/res/files/x?q=1');
  });

  const arbSegment = fc.stringMatching(/^[a-zA-Z0-9_.~-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
  const arbPath = fc.array(arbSegment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
  const arbQuery = fc.option(fc.stringMatching(/^[a-z]{1,4}=[a-z0-9]{0,4}$/), { nil: undefined });

  test.prop([arbPath, arbQuery, fc.option(arbPath, { nil: undefined }), fc.integer({ min: 1, max: 65_535 })])(
    'the base’s origin, its path as a prefix, the server URL’s path and query',
    (path, query, prefix, port) => {
      const serverUrl = `http://10.0.0.1:8080${path}${query ? `?${query}` : ''}`;
      const base = `http://127.0.0.1:${port}${prefix ?? ''}`;
      const url = downloadUrl(serverUrl, base);
      expect(url.origin).toBe(new URL(base).origin);
      expect(url.pathname).toBe(`${prefix ?? ''}${path}`);
      expect(url.search).toBe(query ? `?${query}` : '');
      expect(downloadUrl(serverUrl, null).href).toBe(new URL(serverUrl).href);
    },
  );
});
