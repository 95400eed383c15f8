// The parts of xml-encryption 6 this project uses (the package ships no types).
declare module 'xml-encryption' {
  export interface EncryptOptions {
    rsa_pub: string;
    pem: string;
    encryptionAlgorithm: string;
    keyEncryptionAlgorithm: string;
    disallowEncryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  export interface DecryptOptions {
    key: string;
    disallowDecryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  export function encrypt(
    content: string,
    options: EncryptOptions,
    callback: (error: Error | null, result?: string) => void,
  ): void;
  /** Calls back synchronously (xml-encryption 6 decrypts without any asynchronous step). */
  export function decrypt(
    xml: string | Node,
    options: DecryptOptions,
    callback: (error: Error | null, result?: string) => void,
  ): void;
}
