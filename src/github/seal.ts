import sodium from 'libsodium-wrappers';

/**
 * Seals a secret for GitHub with the target's public key: libsodium's crypto_box_seal, base64
 * ORIGINAL both ways, as GitHub's documentation does it.
 */
export async function sealSecret(value: string, publicKey: string): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}
