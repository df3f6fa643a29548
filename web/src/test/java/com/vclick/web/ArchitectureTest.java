package com.vclick.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the dependency rule of ARCHITECTURE.md: web → ejb → media-api ← kurento, janus. */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.vclick");
  }

  @Test
  void everyModuleIsImported() {
    for (String pkg :
        new String[] {
          "com.vclick.web",
          "com.vclick.core",
          "com.vclick.media.api",
          "com.vclick.media.janus",
          "com.vclick.media.kurento"
        }) {
      if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
        throw new AssertionError("no class of " + pkg + " was imported: the rules would be void");
      }
    }
  }

  @Test
  void onlyTheKurentoAdapterImportsKurento() {
    noClasses()
        .that()
        .resideOutsideOfPackage("com.vclick.media.kurento..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.kurento..")
        .check(classes);
  }

  @Test
  void theMediaPortDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("com.vclick.media.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.vclick.core..",
            "com.vclick.web..",
            "com.vclick.media.janus..",
            "com.vclick.media.kurento..",
            "jakarta..")
        .check(classes);
  }

  @Test
  void adaptersDependOnlyOnThePort() {
    noClasses()
        .that()
        .resideInAnyPackage("com.vclick.media.janus..", "com.vclick.media.kurento..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.vclick.core..", "com.vclick.web..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("com.vclick.media.janus..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.vclick.media.kurento..")
        .check(classes);
  }

  @Test
  void theCoreImportsNoTransportAndNoAdapter() {
    noClasses()
        .that()
        .resideInAPackage("com.vclick.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.vclick.web..",
            "com.vclick.media.janus..",
            "com.vclick.media.kurento..",
            "jakarta.ws.rs..",
            "jakarta.websocket..",
            "jakarta.servlet..")
        .check(classes);
  }

  @Test
  void theSecureEdgeDomainIsPureJava() {
    noClasses()
        .that()
        .resideInAPackage("com.vclick.core.edge")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta..",
            "com.vclick.core.edge.json..",
            "com.vclick.core.edge.store..",
            "com.vclick.core.edge.decision..")
        .check(classes);
  }
}
