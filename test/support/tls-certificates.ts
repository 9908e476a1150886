// Throwaway TLS certificates for the tests' own PostgreSQL server: a CA of
// the run's own and a server certificate it signs for the loopback address,
// so `sslmode=verify-full&sslrootcert=<ca>` can be tested for real. Made in
// Node (node-forge builds the X.509; node:crypto, which cannot, makes the
// keys) rather than with the openssl tool: Debian does not guarantee it
// (priority optional) and Windows has none.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCertificate {
  /** PEM. */
  certificate: string;
  /** PEM (PKCS #1), unencrypted: the server reads it at startup without a passphrase. */
  key: string;
}

/** Long enough for any run, short enough that a leaked one is worthless soon; backdated for a clock a little behind. */
const VALID_FOR_MS = 24 * 60 * 60 * 1000;
const BACKDATED_MS = 60 * 60 * 1000;
/** The names the tests' server is reached by (postgres-supervisor.ts listens on 127.0.0.1). */
export const SERVER_NAMES = { ip: '127.0.0.1', dns: 'localhost' } as const;

function keyPair(): { forgeKeys: forge.pki.rsa.KeyPair; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { forgeKeys: { privateKey: forge.pki.privateKeyFromPem(privateKey), publicKey: forge.pki.publicKeyFromPem(publicKey) }, key: privateKey };
}

function unsignedCertificate(publicKey: forge.pki.PublicKey, commonName: string): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  // Positive (a leading 0 bit) and unique, as RFC 5280 asks.
  certificate.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  certificate.validity.notBefore = new Date(now - BACKDATED_MS);
  certificate.validity.notAfter = new Date(now + VALID_FOR_MS);
  certificate.setSubject([{ name: 'commonName', value: commonName }]);
  return certificate;
}

export interface CertificateAuthority extends KeyAndCertificate {
  /** Signs a certificate for the tests' server: 127.0.0.1 and localhost in its subjectAltName. */
  issueServerCertificate(): KeyAndCertificate;
}

export function makeCertificateAuthority(commonName = 'Run Inspector test CA'): CertificateAuthority {
  const authority = keyPair();
  const caCertificate = unsignedCertificate(authority.forgeKeys.publicKey, commonName);
  caCertificate.setIssuer(caCertificate.subject.attributes);
  caCertificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCertificate.sign(authority.forgeKeys.privateKey, forge.md.sha256.create());
  return {
    certificate: forge.pki.certificateToPem(caCertificate),
    key: authority.key,
    issueServerCertificate() {
      const server = keyPair();
      const certificate = unsignedCertificate(server.forgeKeys.publicKey, SERVER_NAMES.dns);
      certificate.setIssuer(caCertificate.subject.attributes);
      certificate.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        // type 7 is an iPAddress, 2 a dNSName (RFC 5280 GeneralName).
        { name: 'subjectAltName', altNames: [{ type: 7, ip: SERVER_NAMES.ip }, { type: 2, value: SERVER_NAMES.dns }] },
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: caCertificate.generateSubjectKeyIdentifier().getBytes() },
      ]);
      certificate.sign(authority.forgeKeys.privateKey, forge.md.sha256.create());
      return { certificate: forge.pki.certificateToPem(certificate), key: server.key };
    },
  };
}
