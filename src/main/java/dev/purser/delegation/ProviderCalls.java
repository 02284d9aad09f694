package dev.purser.delegation;

import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.PaidSend;
import dev.purser.billing.BillingConfig;
import dev.purser.billing.PaymentTerms;
import dev.purser.x402.EmbeddedFacilitator;
import dev.purser.crypto.ServerKey;
import dev.purser.market.MarketConfig;
import dev.purser.market.Router;
import dev.purser.money.Asset;
import dev.purser.net.UrlGuard;
import dev.purser.x402.Payer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every delegation shares: one A2A client, the operator's payer (the wallet key whose address
 * is the default payee of local skills pays the providers), the router that records attempts, and
 * the settings. A singleton, not a proxied bean: its fields are read directly.
 */
@Singleton
class ProviderCalls {

    final A2aClient client;
    final PaidSend paidSend;
    final Router router;
    final DelegationConfig config;
    /** The one asset Purser settles in: providers are paid in it or not at all. */
    final Asset asset;
    final ProviderPayments payments;

    ProviderCalls(Router router, DelegationConfig config, BillingConfig billing, PaymentTerms terms,
            ProviderPayments payments, MarketConfig market) {
        // interface URLs come from providers' cards: the SSRF rule of card URLs, checked at
        // every call against the address it connects to (a name can be re-pointed after
        // registration)
        this.client = new A2aClient(new UrlGuard(market.market().allowPrivate()));
        this.payments = payments;
        this.router = router;
        this.config = config;
        this.asset = terms.asset();
        ServerKey operator = ServerKey.loadOrCreate(Path.of(billing.dataDir()),
                EmbeddedFacilitator.OPERATOR_KEY_FILE);
        this.paidSend = new PaidSend(client, Payer.of(operator, Clock.systemUTC()));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
