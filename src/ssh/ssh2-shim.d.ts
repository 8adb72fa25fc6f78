// ssh2 ships no types and @types/ssh2 is not a dependency. The transport touches ssh2 directly
// only for `utils.parseKey` (to check a key and its passphrase before connecting); the client
// object it gets from node-ssh is typed locally in src/ssh/client-types.ts.
declare module 'ssh2' {
  const ssh2: {
    utils: {
      /** A parsed key (or list of keys), or an Error describing why the key cannot be used. */
      parseKey(data: Buffer | string, passphrase?: string | Buffer): unknown;
    };
  };
  export default ssh2;
}
