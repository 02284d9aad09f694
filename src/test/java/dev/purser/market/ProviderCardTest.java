package dev.purser.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderCardTest {

    @Test
    void aUnionCardIsCalledOverItsOnePointZeroInterface() {
        ProviderCard c = ProviderCard.parse(RegistrationTest.json("{'name': 'U', 'url': 'http://h/a2a',"
                + " 'protocolVersion': '0.3.0', 'supportedInterfaces': ["
                + " {'url': 'http://h/v03', 'protocolBinding': 'JSONRPC', 'protocolVersion': '0.3'},"
                + " {'url': 'http://h/v10', 'protocolBinding': 'JSONRPC', 'protocolVersion': '1.0'}],"
                + " 'capabilities': {'streaming': true, 'extensions': [{'uri':"
                + " 'https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2',"
                + " 'params': {'network': 'eip155:84532', 'skills': {'s': {'amount': '42'}}}}]},"
                + " 'skills': [{'id': 's', 'name': 'S', 'description': 'd', 'tags': ['t']}, {'id': 'f'}]}"));
        assertEquals("1.0", c.protocolVersion());
        assertEquals("http://h/v10", c.interfaceUrl());
        assertTrue(c.streaming());
        assertEquals(Optional.of(42L), c.skills().get(0).price());
        assertEquals(Optional.of("eip155:84532"), c.skills().get(0).network());
        assertEquals(Optional.empty(), c.skills().get(1).price());
    }

    @Test
    void aZeroPointThreeCardIsCalledAtItsUrl() {
        ProviderCard c = ProviderCard.parse(RegistrationTest.json("{'name': 'Old', 'url': 'http://h/rpc',"
                + " 'preferredTransport': 'JSONRPC', 'protocolVersion': '0.3.0', 'skills': []}"));
        assertEquals("0.3", c.protocolVersion());
        assertEquals("http://h/rpc", c.interfaceUrl());
    }

    @Test
    void cardsWithoutWhatPurserNeedsAreInvalid() {
        for (String card : new String[] {"[]", "{'url': 'http://h', 'skills': []}",
                "{'name': 'n', 'skills': []}",
                "{'name': 'n', 'url': 'http://h', 'preferredTransport': 'GRPC', 'skills': []}",
                "{'name': 'n', 'url': '/relative', 'skills': []}",
                "{'name': 'n', 'url': 'http://h'}",
                "{'name': 'n', 'url': 'http://h', 'skills': [{'id': 'a'}, {'id': 'a'}]}",
                "{'name': 'n', 'url': 'http://h', 'skills': [{'id': 'a'}], 'capabilities': {'extensions':"
                        + " [{'uri': 'x/a2a-x402/v0.2', 'params': {'skills': {'a': {'amount': 5}}}}]}}"}) {
            MarketRefusal.Refused e = assertThrows(MarketRefusal.Refused.class,
                    () -> ProviderCard.parse(RegistrationTest.json(card)), card);
            assertEquals("card_invalid", e.refusal().code(), card);
        }
    }
}
