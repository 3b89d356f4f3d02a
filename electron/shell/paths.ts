/**
 * Inside a packaged app, files listed in asarUnpack live next to app.asar; a child process started
 * with a script path must be given the unpacked copy.
 */
export function toUnpackedPath(filePath: string): string {
  return filePath.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
