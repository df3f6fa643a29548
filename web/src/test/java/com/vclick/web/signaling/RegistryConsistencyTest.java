package com.vclick.web.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web app's message registry (signaling.js) lists exactly the server's message types. */
class RegistryConsistencyTest {

  private static final Path CLIENT_REGISTRY = Path.of("src/main/webapp/signaling.js");

  @Test
  void clientAndServerKnowTheSameTypes() throws Exception {
    assertEquals(serverTypes(), clientTypes());
  }

  private static Set<String> serverTypes() throws Exception {
    Set<String> types = new TreeSet<>();
    for (Class<?> type : SignalingMessage.class.getPermittedSubclasses()) {
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] parameterTypes = new Class<?>[components.length];
      Object[] arguments = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        parameterTypes[i] = components[i].getType();
        arguments[i] = defaultFor(parameterTypes[i]);
      }
      var message =
          (SignalingMessage) type.getDeclaredConstructor(parameterTypes).newInstance(arguments);
      types.add(message.type());
    }
    return types;
  }

  private static Object defaultFor(Class<?> type) {
    if (type == int.class) {
      return 0;
    }
    return type == List.class ? List.of() : null;
  }

  private static Set<String> clientTypes() throws Exception {
    String source = Files.readString(CLIENT_REGISTRY);
    String typeBlock = source.substring(source.indexOf("export const Type"), source.indexOf("});"));
    Set<String> types = new TreeSet<>();
    Matcher entry = Pattern.compile("[A-Z_]+: \"([a-z.]+)\"").matcher(typeBlock);
    while (entry.find()) {
      types.add(entry.group(1));
    }
    return types;
  }
}
