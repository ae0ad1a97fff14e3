package dev.obsagent.core.weave;

import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.takesArgument;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obsagent.bootstrap.InstrumentationErrors;
import dev.obsagent.core.api.MethodMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves the classes in {@link Targets} with the advice in {@link TestAdvice}, defines the result
 * in a class loader of its own (so the JVM's verifier checks every woven class) and runs it.
 */
class ClassWeaverTest {

  private final List<String> suppressed = new ArrayList<>();

  @BeforeEach
  void reset() {
    Recorder.EVENTS.clear();
    InstrumentationErrors.install((instrumentation, error) -> suppressed.add(instrumentation + ": " + error.getMessage()));
  }

  @AfterEach
  void uninstall() {
    InstrumentationErrors.install(null);
  }

  @Test
  void adviceSeesThisArgumentsFieldsEnterValueAndResult() throws Exception {
    Targets.Greeting greeter = woven(Targets.Greeter.class, named("greet"), TestAdvice.SeesEverything.class);
    assertEquals("hello ann ann!", greeter.greet("ann", 2, 7.5));
    assertEquals(List.of("enter ann 2 hello true", "exit 2002 7.5 returned hello ann ann!"), Recorder.EVENTS);
  }

  @Test
  void aThrowableTheMethodCatchesItselfNeverReachesTheExitAdvice() throws Exception {
    Targets.Greeting greeter = woven(Targets.Greeter.class, named("greet"), TestAdvice.SeesEverything.class);
    assertEquals("caught", greeter.greet("bob", 0, -1));
    assertEquals("exit 2 -1.0 returned caught", Recorder.EVENTS.get(1));
  }

  @Test
  void aThrowableOfTheMethodReachesTheExitAdviceAndThenTheCaller() throws Exception {
    Targets.Greeting greeter = woven(Targets.Greeter.class, named("greet"), TestAdvice.SeesEverything.class);
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> greeter.greet("cy", 1, 500));
    assertEquals("too heavy", thrown.getMessage());
    assertEquals("exit 1002 500.0 threw IllegalStateException", Recorder.EVENTS.get(1));
  }

  @Test
  void writableParametersReplaceTheArgumentAndTheResult() throws Exception {
    Targets.Greeting greeter = woven(Targets.Greeter.class, named("greet"), TestAdvice.ReplacesArgumentAndResult.class);
    assertEquals("hello DOT. [token]", greeter.greet("dot", 1, 1));
  }

  @Test
  void throwablesOfTheAdviceAreCountedAndTheMethodRunsAsItWould() throws Exception {
    Targets.Greeting greeter = woven(Targets.Greeter.class, named("greet"), TestAdvice.FailsOnEnter.class);
    assertEquals("hello eve.", greeter.greet("eve", 1, 0));
    assertEquals(List.of("exit after a failed enter: null"), Recorder.EVENTS);
    assertEquals(List.of("test: advice failure", "test: advice failure"), suppressed);
  }

  @Test
  void staticMethodsWithPrimitiveResults() throws Exception {
    Function<Integer, Integer> calculator = woven(Targets.Calculator.class, named("twice"), TestAdvice.StaticInt.class);
    assertEquals(7, calculator.apply(3));
    assertEquals(1, calculator.apply(-5));
    assertEquals(List.of("enter 3", "enter -5"), Recorder.EVENTS);
  }

  @Test
  void theExitAdviceSeesTheArgumentsTheMethodWasCalledWithNotItsReassignments() throws Exception {
    Function<String, String> trimmer = woven(Targets.Trimmer.class, named("apply").and(takesArgument(0, String.class)), TestAdvice.ExitSeesArgument.class);
    assertEquals("x", trimmer.apply(" x "));
    assertEquals(List.of("[ x ] -> [x]"), Recorder.EVENTS);
  }

  @Test
  void anOptionalArgumentTheMethodLacksIsNull() throws Exception {
    Targets.Greeting greeter = woven(Targets.Greeter.class, named("greet"), TestAdvice.OptionalArgument.class);
    greeter.greet("fay", 0, 0);
    assertEquals(List.of("enter fay null"), Recorder.EVENTS);
  }

  @Test
  void voidMethodsWithEarlyReturns() throws Exception {
    Function<String, String> sink = woven(Targets.Sink.class, named("store"), TestAdvice.VoidExit.class);
    assertEquals("a", sink.apply("a"));
    assertEquals("a", sink.apply(null));
    assertEquals(List.of("stored a", "stored null"), Recorder.EVENTS);
  }

  @Test
  void aSecondAdviceOnTheSameMethodWrapsTheFirst() throws Exception {
    Targets.Greeting greeter =
        woven(
            Targets.Greeter.class,
            List.of(binding(named("greet"), TestAdvice.SeesEverything.class), binding(named("greet"), TestAdvice.Outer.class)));
    assertThrows(IllegalStateException.class, () -> greeter.greet("gus", 0, 101));
    assertEquals(4, Recorder.EVENTS.size(), Recorder.EVENTS.toString());
    assertEquals("outer enter", Recorder.EVENTS.get(0));
    assertTrue(Recorder.EVENTS.get(1).startsWith("enter gus"));
    assertEquals("exit 2 101.0 threw IllegalStateException", Recorder.EVENTS.get(2));
    assertEquals("outer exit", Recorder.EVENTS.get(3));
  }

  @Test
  void aClassFileOlderThanJava6GetsNoFramesAndValuesOfAnotherTypeAreCast() throws Exception {
    byte[] java5 = java5Function("dev.obsagent.core.weave.Java5Function");
    WeavingException concatenation =
        assertThrows(WeavingException.class, () -> ClassWeaver.weave(java5, List.of(binding(named("apply"), TestAdvice.ExitSeesArgument.class))));
    assertTrue(concatenation.getMessage().contains("before Java 7"), concatenation.getMessage());
    byte[] woven = ClassWeaver.weave(java5, List.of(binding(named("apply"), TestAdvice.RecordsPlainly.class)));
    @SuppressWarnings("unchecked")
    Function<Object, Object> function =
        (Function<Object, Object>)
            new OneClassLoader("dev.obsagent.core.weave.Java5Function", woven)
                .loadClass("dev.obsagent.core.weave.Java5Function")
                .getConstructor()
                .newInstance();
    assertEquals("none", function.apply(null));
    assertEquals("x", function.apply("x"));
    assertEquals(Arrays.asList(null, "none", "x", "x"), Recorder.EVENTS);
  }

  /** {@code public Object apply(Object value) { return value == null ? "none" : value; }} as Java 5 would. */
  private static byte[] java5Function(String className) {
    String name = className.replace('.', '/');
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", new String[] {"java/util/function/Function"});
    MethodVisitor constructor = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    constructor.visitCode();
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    constructor.visitInsn(Opcodes.RETURN);
    constructor.visitMaxs(0, 0);
    constructor.visitEnd();
    MethodVisitor apply = writer.visitMethod(Opcodes.ACC_PUBLIC, "apply", "(Ljava/lang/Object;)Ljava/lang/Object;", null, null);
    apply.visitCode();
    Label present = new Label();
    apply.visitVarInsn(Opcodes.ALOAD, 1);
    apply.visitJumpInsn(Opcodes.IFNONNULL, present);
    apply.visitLdcInsn("none");
    apply.visitInsn(Opcodes.ARETURN);
    apply.visitLabel(present);
    apply.visitVarInsn(Opcodes.ALOAD, 1);
    apply.visitInsn(Opcodes.ARETURN);
    apply.visitMaxs(0, 0);
    apply.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  @Test
  void noMatchingMethodMeansNoChange() throws Exception {
    assertNull(ClassWeaver.weave(classFile(Targets.Greeter.class), List.of(binding(named("absent"), TestAdvice.Outer.class))));
  }

  @Test
  void adviceThatCannotBeWovenSaysWhy() {
    WeavingException readOnly =
        assertThrows(WeavingException.class, () -> weave(Targets.Greeter.class, named("greet"), TestAdvice.WritesReadOnlyArgument.class));
    assertTrue(readOnly.getMessage().contains("assigns a read-only parameter"), readOnly.getMessage());
    WeavingException onVoid =
        assertThrows(WeavingException.class, () -> weave(Targets.Sink.class, named("store"), TestAdvice.ReturnOnVoid.class));
    assertTrue(onVoid.getMessage().contains("returns nothing"), onVoid.getMessage());
    WeavingException writable =
        assertThrows(WeavingException.class, () -> weave(Targets.Greeter.class, named("greet"), TestAdvice.WrongWritableType.class));
    assertTrue(writable.getMessage().contains("exactly the method's type"), writable.getMessage());
  }

  private static byte[] weave(Class<?> target, MethodMatcher methods, Class<?> advice) throws Exception {
    return ClassWeaver.weave(classFile(target), List.of(binding(methods, advice)));
  }

  private static <T> T woven(Class<?> target, MethodMatcher methods, Class<?> advice) throws Exception {
    return woven(target, List.of(binding(methods, advice)));
  }

  @SuppressWarnings("unchecked")
  private static <T> T woven(Class<?> target, List<ClassWeaver.Binding> bindings) throws Exception {
    byte[] bytes = ClassWeaver.weave(classFile(target), bindings);
    Class<?> type = new OneClassLoader(target.getName(), bytes).loadClass(target.getName());
    return (T) type.getConstructor().newInstance();
  }

  private static ClassWeaver.Binding binding(MethodMatcher methods, Class<?> advice) throws Exception {
    return new ClassWeaver.Binding(methods, AdviceClass.read(classFile(advice)), "test");
  }

  static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines one class from the given bytes; everything else comes from the test's loader. */
  static final class OneClassLoader extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    OneClassLoader(String name, byte[] bytes) {
      super(ClassWeaverTest.class.getClassLoader());
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      if (!className.equals(name)) {
        return super.loadClass(className, resolve);
      }
      synchronized (getClassLoadingLock(className)) {
        Class<?> loaded = findLoadedClass(className);
        return loaded != null ? loaded : defineClass(className, bytes, 0, bytes.length);
      }
    }
  }
}
