// EIP-3009 TransferWithAuthorization as USDC defines it, for the test scripts that sign or verify
// x402 payments with viem: the EIP-712 types, and an authorization's strings as viem's message.
export const TRANSFER_WITH_AUTHORIZATION = { TransferWithAuthorization: [
  { name: 'from', type: 'address' }, { name: 'to', type: 'address' },
  { name: 'value', type: 'uint256' }, { name: 'validAfter', type: 'uint256' },
  { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' }] };

export const authorizationMessage = (auth) => ({ from: auth.from, to: auth.to,
  value: BigInt(auth.value), validAfter: BigInt(auth.validAfter),
  validBefore: BigInt(auth.validBefore), nonce: auth.nonce });
