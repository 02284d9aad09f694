// Signs an x402 EIP-3009 payment with viem, an implementation independent of Purser's, for the
// requirement given as JSON on argv[2] with the private key argv[3]; prints the x402 v2
// PaymentPayload. argv[4], optional, is JSON overriding authorization fields (value, to,
// validAfter, validBefore, nonce as strings) and {"highS": true}, which rewrites viem's low-s
// signature into its high-s twin (s' = n - s, v flipped). Test use only.
import { privateKeyToAccount } from 'viem/accounts';
import { randomBytes } from 'node:crypto';

const requirement = JSON.parse(process.argv[2]);
const privateKey = process.argv[3];
const overrides = process.argv[4] ? JSON.parse(process.argv[4]) : {};
const account = privateKeyToAccount(privateKey);
const chainId = Number(requirement.network.split(':')[1]);
const now = Math.floor(Date.now() / 1000);
const authorization = {
  from: account.address,
  to: overrides.to ?? requirement.payTo,
  value: BigInt(overrides.value ?? requirement.amount),
  validAfter: BigInt(overrides.validAfter ?? now - 600),
  validBefore: BigInt(overrides.validBefore ?? now + requirement.maxTimeoutSeconds),
  nonce: overrides.nonce ?? '0x' + randomBytes(32).toString('hex'),
};
let signature = await account.signTypedData({
  domain: { name: requirement.extra.name, version: requirement.extra.version, chainId,
            verifyingContract: requirement.asset },
  types: { TransferWithAuthorization: [
    { name: 'from', type: 'address' }, { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' }, { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' } ] },
  primaryType: 'TransferWithAuthorization',
  message: authorization,
});
if (overrides.highS) {
  const n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141n;
  const r = signature.slice(2, 66);
  const s = BigInt('0x' + signature.slice(66, 130));
  const v = parseInt(signature.slice(130, 132), 16);
  signature = '0x' + r + (n - s).toString(16).padStart(64, '0') + (v === 27 ? '1c' : '1b');
}
const asStrings = Object.fromEntries(Object.entries(authorization).map(([k, v]) => [k, String(v)]));
console.log(JSON.stringify({ x402Version: 2, accepted: requirement,
  payload: { signature, authorization: asStrings } }));
