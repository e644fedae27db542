package io.kinora.natives;

import org.junit.jupiter.api.Test;

import io.kinora.api.media.StageException;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibrariesTest {

    @Test
    void loadsOnceWithTheOwnersLoaderAsContextLoader() {
        AtomicInteger calls = new AtomicInteger();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(null);
        try {
            NativeLibraries n = new NativeLibraries("Test", "io.kinora.test", NativeLibrariesTest.class, () -> {
                calls.incrementAndGet();
                assertSame(NativeLibrariesTest.class.getClassLoader(), Thread.currentThread().getContextClassLoader());
                return "v1";
            });
            n.ensureLoaded();
            n.ensureLoaded();
            assertEquals(1, calls.get());
            assertEquals(null, Thread.currentThread().getContextClassLoader(), "the context loader is restored");
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void aFailureIsRememberedAndNamesTheBundleAndPlatform() {
        AtomicInteger calls = new AtomicInteger();
        NativeLibraries n = new NativeLibraries("Test", "io.kinora.test", NativeLibrariesTest.class, () -> {
            calls.incrementAndGet();
            throw new UnsatisfiedLinkError("no libtest");
        });
        String first = assertThrows(StageException.class, n::ensureLoaded).getMessage();
        String second = assertThrows(StageException.class, n::ensureLoaded).getMessage();
        assertEquals(first, second);
        assertEquals(1, calls.get(), "not tried again");
        assertTrue(first.startsWith("the Test libraries embedded in io.kinora.test cannot be loaded on this machine ("), first);
        assertTrue(first.contains("no libtest"), first);
    }
}
