// Worker threads do not inherit the tsx hooks the CLI registered: they are started with tsx as an
// --import, by absolute URL so it resolves from any working directory.
export const TSX_EXEC_ARGV: readonly string[] = ['--import', import.meta.resolve('tsx')];
