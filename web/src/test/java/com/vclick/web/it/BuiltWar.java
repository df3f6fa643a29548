package com.vclick.web.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR exactly as the build made it (system property {@code vclick.war}), for Arquillian. */
final class BuiltWar {

  private BuiltWar() {}

  static WebArchive load() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("vclick.war")));
  }
}
