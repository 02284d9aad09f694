/**
 * The console at {@code /} (DESIGN §10): server-rendered Qute pages, each a view of a JSON twin in
 * the API. {@link dev.purser.web.Twins} calls the very REST resources that answer the API, so a
 * page can never show something the API does not say. The scripts under
 * {@code META-INF/resources/console} only add what needs a browser: the ledger's hash chain
 * checked with WebCrypto, each receipt's signer recovered from its signature (the vendored noble
 * modules under {@code META-INF/resources/vendor}), the charts, and operator forms that send the
 * token as a header.
 * Depends on {@code market}, {@code mandate}, {@code ledger} (their resources), {@code task} and
 * {@code auth} (GetTask as the same caller), {@code x402} and {@code billing} (the metadata keys a
 * paid task carries) and {@code money}.
 */
package dev.purser.web;
