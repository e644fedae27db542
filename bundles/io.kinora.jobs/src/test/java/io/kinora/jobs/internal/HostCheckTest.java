package io.kinora.jobs.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCheckTest {

    @Test
    void theHttpWhiteboardRequirementIsNamedInWords() {
        String s = HostCheck.describe("osgi.implementation", "(&(osgi.implementation=osgi.http)(version>=1.1.0)(!(version>=2.0.0)))");
        assertEquals("an OSGi HTTP Whiteboard (osgi.implementation=osgi.http [1.1.0,2.0.0), e.g. Felix HTTP Jetty, Karaf's http-whiteboard)", s);
    }

    @Test
    void aMissingPackageIsNamedWithItsRangeAndWhatProvidesIt() {
        assertEquals("package javax.servlet [3.1.0,5.0.0) (the Servlet API)",
                HostCheck.describe("osgi.wiring.package", "(&(osgi.wiring.package=javax.servlet)(version>=3.1.0)(!(version>=5.0.0)))"));
        assertEquals("package org.apache.sling.event.jobs 2.0.0 or later (Apache Sling's job manager, org.apache.sling.event)",
                HostCheck.describe("osgi.wiring.package", "(&(osgi.wiring.package=org.apache.sling.event.jobs)(version>=2.0.0))"));
        assertEquals("package com.example.x", HostCheck.describe("osgi.wiring.package", "(osgi.wiring.package=com.example.x)"));
    }

    @Test
    void packagesThatNameTheSameThingBecomeOnePhrase() {
        List<String> g = HostCheck.group(List.of(
                HostCheck.describe("osgi.wiring.package", "(&(osgi.wiring.package=javax.servlet)(version>=3.1.0)(!(version>=5.0.0)))"),
                HostCheck.describe("osgi.wiring.package", "(&(osgi.wiring.package=javax.servlet.http)(version>=3.1.0)(!(version>=5.0.0)))"),
                HostCheck.describe("osgi.implementation", "(&(osgi.implementation=osgi.http)(version>=1.1.0)(!(version>=2.0.0)))"),
                HostCheck.describe("osgi.wiring.package", "(osgi.wiring.package=com.example.x)")));
        assertEquals(3, g.size(), g.toString());
        assertEquals("the Servlet API (javax.servlet, javax.servlet.http [3.1.0,5.0.0))", g.get(0));
        assertTrue(g.get(1).startsWith("an OSGi HTTP Whiteboard ("), g.get(1));
        assertEquals("package com.example.x", g.get(2));
    }

    @Test
    void anUnknownNamespaceKeepsItsRawFilter() {
        assertEquals("acme.cap (acme.cap=x)", HostCheck.describe("acme.cap", "(acme.cap=x)"));
    }

    @Test
    void oneMessageNamesTheBundleEverythingMissingAndThatTheRestRuns() {
        String m = HostCheck.message("Kinora REST API", "io.kinora.rest", "0.1.0", List.of("a", "b"));
        assertEquals("Kinora REST API (io.kinora.rest 0.1.0) is off, the rest of Kinora keeps running: this host lacks a; b.", m);
    }
}
