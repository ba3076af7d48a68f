import { entryFiles } from './pack';

describe('entryFiles', () => {
  it('lists the files of main, types, exports and configSchema, not the conditions or patterns', () => {
    expect(
      entryFiles({
        main: './dist/index.cjs.js',
        types: 'dist/index.d.ts',
        configSchema: 'dist/.config-schema.json',
        exports: {
          '.': { backstage: '@backstage/BackendFeature', require: './dist/index.cjs.js', types: './dist/index.d.ts' },
          './alpha': { import: './dist/alpha.esm.js', types: './dist/alpha.d.ts' },
          './package.json': './package.json',
          './*': './dist/*.js',
        },
      }).sort(),
    ).toEqual(['dist/.config-schema.json', 'dist/alpha.d.ts', 'dist/alpha.esm.js', 'dist/index.cjs.js', 'dist/index.d.ts']);
  });
});
