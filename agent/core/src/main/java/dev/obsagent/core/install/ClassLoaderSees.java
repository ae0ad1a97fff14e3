package dev.obsagent.core.install;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Matches class loaders that can see every one of some classes (marker classes that tell a
 * library or its version apart). The answer is cached per loader, weakly, so undeployed
 * applications are still collected.
 */
final class ClassLoaderSees {

  private final List<String> resourceNames;
  private final Map<ClassLoader, Boolean> answers = Collections.synchronizedMap(new WeakHashMap<>());

  ClassLoaderSees(List<String> classNames) {
    this.resourceNames = classNames.stream().map(name -> name.replace('.', '/') + ".class").collect(java.util.stream.Collectors.toList());
  }

  boolean matches(ClassLoader loader) {
    if (resourceNames.isEmpty()) {
      return true;
    }
    ClassLoader lookup = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
    Boolean known = answers.get(lookup);
    if (known == null) {
      known = Boolean.TRUE;
      for (String resource : resourceNames) {
        if (lookup.getResource(resource) == null) {
          known = Boolean.FALSE;
          break;
        }
      }
      answers.put(lookup, known);
    }
    return known;
  }
}
