// Signs an x402 EIP-3009 payment with viem, an implementation independent of Purser's, for the
// requirement given as JSON on argv[2]; prints the x402 v2 PaymentPayload. Test use only.
import { privateKeyToAccount } from 'viem/accounts';
import { randomBytes } from 'node:crypto';

const requirement = JSON.parse(process.argv[2]);
const privateKey = process.argv[3];
const account = privateKeyToAccount(privateKey);
const chainId = Number(requirement.network.split(':')[1]);
const now = Math.floor(Date.now() / 1000);
const authorization = {
  from: account.address,
  to: requirement.payTo,
  value: BigInt(requirement.amount),
  validAfter: BigInt(now - 600),
  validBefore: BigInt(now + requirement.maxTimeoutSeconds),
  nonce: '0x' + randomBytes(32).toString('hex'),
};
const signature = await account.signTypedData({
  domain: { name: requirement.extra.name, version: requirement.extra.version, chainId,
            verifyingContract: requirement.asset },
  types: { TransferWithAuthorization: [
    { name: 'from', type: 'address' }, { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' }, { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' } ] },
  primaryType: 'TransferWithAuthorization',
  message: authorization,
});
const asStrings = Object.fromEntries(Object.entries(authorization).map(([k, v]) => [k, String(v)]));
console.log(JSON.stringify({ x402Version: 2, accepted: requirement,
  payload: { signature, authorization: asStrings } }));
