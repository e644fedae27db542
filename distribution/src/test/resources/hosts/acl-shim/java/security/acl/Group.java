package java.security.acl;

import java.security.Principal;
import java.util.Enumeration;

/**
 * The shape of Java 8's {@code java.security.acl.Group} (removed in Java 14), which the Jackrabbit/Oak of Sling Starter
 * 11 still links against: without it Sling's repository, and with it Sling's job manager, cannot start on Java 17.
 * SlingStarterIT compiles this into a {@code --patch-module java.base} folder for the Sling JVM only.
 */
public interface Group extends Principal {
    boolean addMember(Principal user);

    boolean removeMember(Principal user);

    boolean isMember(Principal member);

    Enumeration<? extends Principal> members();
}
