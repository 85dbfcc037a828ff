package io.jenkins.plugins.quire.container;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user the agent switches to is the one {@code docker exec} (runc) would give, groups included. */
class AgentEnvironmentTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\n";
    private static final String GROUP = "root:x:0:\nug:x:1000:\nextra:x:2000:u\nmore:x:2001:root,u\nother:x:2002:uu\n"
            + "again:x:2000:u\n";

    private static String who(String user) {
        return AgentEnvironment.resolve(user, PASSWD, GROUP).uidGid();
    }

    @Test
    void aUserWithoutGroupGetsItsPasswdGroupAndEveryGroupListingItsName() {
        assertEquals("1000:1000:2000,2001", who("1000"));
        assertEquals("1000:1000:2000,2001", who("u"));
        assertEquals("0:0:2001", who("root"));
        assertEquals("/home/u", AgentEnvironment.resolve("u", PASSWD, GROUP).home());
    }

    @Test
    void aUserGivenWithAGroupGetsThatGroupOnly() {
        assertEquals("1000:1000", who("1000:1000"));
        assertEquals("1000:5", who("u:5"));
        assertEquals("0:0", who("0:0"));
        assertEquals("1000:2001", who("1000:more"));
    }

    @Test
    void aUidWithoutPasswdEntryGetsGroupZeroAndNoMore() {
        assertEquals("4242:0", who("4242"));
        assertEquals("4242:0", AgentEnvironment.resolve("4242", null, null).uidGid());
    }

    @Test
    void aUserInMoreGroupsThanTheAgentTakesIsRefused() {
        StringBuilder group = new StringBuilder();
        for (int i = 0; i <= AgentEnvironment.MAX_GROUPS; i++) group.append("g").append(i).append(":x:").append(3000 + i).append(":u\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentEnvironment.resolve("u", PASSWD, group.toString()));
        assertTrue(e.getMessage().contains("more than " + AgentEnvironment.MAX_GROUPS + " groups"), e.getMessage());
    }
}
