package com.vclick.ear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The built EAR carries the same modules as the WAR: the ejb module at the top, the web module
 * without duplicated classes, and every library (media adapters included, so that ServiceLoader
 * finds them from the ejb module) in lib/.
 */
class EarLayoutIT {

  private static final Path EAR = Path.of("target", "vclick.ear");

  @Test
  void modulesAndLibrariesAreWhereFullPayaraServerExpectsThem() throws IOException {
    try (var ear = new ZipFile(EAR.toFile())) {
      String descriptor = read(ear, "META-INF/application.xml");
      assertTrue(descriptor.contains("<ejb>vclick-ejb.jar</ejb>"), descriptor);
      assertTrue(descriptor.contains("<web-uri>vclick-web.war</web-uri>"), descriptor);
      assertTrue(descriptor.contains("<context-root>/</context-root>"), descriptor);
      List<String> libs =
          ear.stream().map(ZipEntry::getName).filter(n -> n.startsWith("lib/")).toList();
      for (String expected :
          List.of("vclick-media-api-", "vclick-janus-", "vclick-kurento-", "postgresql-")) {
        assertTrue(libs.stream().anyMatch(n -> n.contains(expected)), expected + " in " + libs);
      }
      assertFalse(libs.stream().anyMatch(n -> n.contains("vclick-ejb")), "ejb only as a module");

      List<String> warLibs = warLibraries(ear);
      assertEquals(1, warLibs.size(), "only the keycloak-js webjar stays in the WAR: " + warLibs);
      assertTrue(warLibs.get(0).contains("keycloak-js"), warLibs.toString());
    }
  }

  private static List<String> warLibraries(ZipFile ear) throws IOException {
    ZipEntry war = ear.getEntry("vclick-web.war");
    assertNotNull(war, "vclick-web.war");
    var libs = new java.util.ArrayList<String>();
    try (var in = new ZipInputStream(ear.getInputStream(war))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
          libs.add(e.getName());
        }
      }
    }
    return libs;
  }

  private static String read(ZipFile zip, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    assertNotNull(entry, name);
    try (InputStream in = zip.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
