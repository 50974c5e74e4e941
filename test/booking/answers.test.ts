import { parseMode, parseName, parseSlotAnswer, parseYesNo, type SlotAnswer } from '../../src/booking/answers';
import { parseOfficeHours, zonedParts } from '../../src/booking/office-hours';
import { allFreeSlots, availableSlots, type Slot } from '../../src/booking/slots';

describe('parseMode', () => {
  it.each([
    'phone', 'By phone please', 'call me', 'a phone call is fine', 'over the phone', 'telephone', 'Call',
    'teléfono', 'por telefono', 'POR TELÉFONO 📞', 'llamada', 'por llamada', 'llámenme', 'llamenme porfa', 'celular',
    'mejor por telefno', 'x cel',
  ])('%s → phone', (text) => expect(parseMode(text)).toBe('phone'));

  it.each([
    'office', 'at the office', 'in person', 'In-person please', 'I can come in', "I'd like to visit",
    'oficina', 'en persona', 'presencial', 'prefiero ir a la oficina', 'en la oficina', 'EN LA OFICNA',
  ])('%s → office', (text) => expect(parseMode(text)).toBe('office'));

  it.each(['1', '2', '', 'hola', 'banana', 'either is fine', 'phone or office?', 'no se, por telefono o en la oficina', '🤷'])(
    '%j → undefined',
    (text) => expect(parseMode(text)).toBeUndefined(),
  );
});

describe('parseYesNo', () => {
  it.each([
    'yes', 'Y', 'yeah', 'yep', 'ok', 'OKAY', 'sure', 'correct', 'confirm', 'confirmed', '👍', 'yes please', 'yesss',
    "yes that's correct", 'looks good, thanks', 'si', 'Sí', 'siii', 'claro', 'dale', 'correcto', 'confirmo',
    'de acuerdo', 'está bien', 'sí, está bien 👍', 'perfecto gracias', 'va', 'ok perfecto',
  ])('%s → yes', (text) => expect(parseYesNo(text)).toBe('yes'));

  it.each([
    'no', 'N', 'nope', 'nah', 'not', "that's wrong", 'not correct', 'change', 'change the time', 'cambiar',
    'quiero cambiar la hora', 'incorrecto', 'no gracias', 'No, gracias.', 'nooo', 'no está bien', '👎',
  ])('%s → no', (text) => expect(parseYesNo(text)).toBe('no'));

  it.each([
    'si pero cambiar la hora', 'yes no', 'sí pero el martes', 'maybe', 'no sé', 'banana', '', '???', 'what is the fee',
    'ok but change the name', '1',
  ])('%j → undefined', (text) => expect(parseYesNo(text)).toBeUndefined());
});

describe('parseName', () => {
  it.each([
    ['maria de los angeles lopez', 'Maria de los Angeles Lopez'],
    ['Me llamo José Pérez', 'José Pérez'],
    ['my name is john smith', 'John Smith'],
    ['My full name is Ana Ruiz.', 'Ana Ruiz'],
    ['soy ana maria gonzalez', 'Ana Maria Gonzalez'],
    ['Mi nombre es Juan Carlos Ramírez Núñez', 'Juan Carlos Ramírez Núñez'],
    ['hola, me llamo maría lópez 😊', 'María López'],
    ["I'm Luis Fernando Ortiz", 'Luis Fernando Ortiz'],
    ["jean-pierre o'brien", "Jean-Pierre O'Brien"],
    ['MARIA LOPEZ', 'Maria Lopez'],
    ['Ronald McDonald', 'Ronald McDonald'],
    ['  esteban   de la cruz  ', 'Esteban de la Cruz'],
    ['Imelda Díaz, gracias', 'Imelda Díaz'],
    ['Nguyen Van An', 'Nguyen Van An'],
    ['juan y maria perez', 'Juan y Maria Perez'],
    ['Maria J. Lopez', 'Maria J. Lopez'],
  ])('%s → %s', (text, name) => expect(parseName(text)).toBe(name));

  it.each([
    'maria', 'Me llamo Maria', 'what is your name?', '¿cómo se llama?', '12345', 'John 5mith', 'hola', 'hola buenas',
    'good morning', 'quiero una cita', 'I want an appointment', 'menu', 'cancel', 'yes', 'a b', '', '👍👍',
    'one two three four five six seven', `${'a'.repeat(45)} ${'b'.repeat(45)}`, 'maria@example.com lopez',
    'Lopez, Maria', 'de la',
  ])('%j → undefined', (text) => expect(parseName(text)).toBeUndefined());
});

describe('parseSlotAnswer', () => {
  const tz = 'America/New_York';
  const hours = parseOfficeHours('Mon-Fri 09:00-17:00');
  const now = new Date('2026-11-30T13:00:00Z'); // Monday Nov 30, 8:00 local
  const busy = [{ start: new Date('2026-12-01T15:20:00Z'), end: new Date('2026-12-01T16:00:00Z') }]; // Tue 10:20–11:00 taken
  const base = { hours, tz, minutes: 40, leadHours: 24, now, busy };
  const free = allFreeSlots(base);
  const twoPerDay = availableSlots({ ...base, limit: 4 }); // Tue 9:00, Tue 9:40, Wed 9:00, Wed 9:40
  const onePerDay = availableSlots({ ...base, limit: 3, perDay: 1 }); // Tue 9:00, Wed 9:00, Thu 9:00

  const label = (slot: Slot) => {
    const p = zonedParts(slot.start, tz);
    return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.weekday]} ${p.day} ${p.hour}:${String(p.minute).padStart(2, '0')}`;
  };
  /** The answer with slots replaced by readable labels. */
  function read(text: string, offered: readonly Slot[] = twoPerDay): unknown {
    const answer: SlotAnswer | undefined = parseSlotAnswer(text, { offered, free, tz, now });
    if (!answer) return undefined;
    switch (answer.kind) {
      case 'pick': return ['pick', label(answer.slot)];
      case 'ambiguous': return ['ambiguous', answer.matches.map(label)];
      case 'unavailable': return ['unavailable', answer.near.map(label)];
      case 'other': return ['other'];
    }
  }

  it('offers what the test assumes', () => {
    expect(twoPerDay.map(label)).toEqual(['Tue 1 9:00', 'Tue 1 9:40', 'Wed 2 9:00', 'Wed 2 9:40']);
    expect(onePerDay.map(label)).toEqual(['Tue 1 9:00', 'Wed 2 9:00', 'Thu 3 9:00']);
  });

  it.each([
    ['1', 'Tue 1 9:00'], ['2', 'Tue 1 9:40'], ['2.', 'Tue 1 9:40'], ['#3', 'Wed 2 9:00'], ['opción 4', 'Wed 2 9:40'],
    ['la 2', 'Tue 1 9:40'], ['4️⃣', 'Wed 2 9:40'], ['the 2nd', 'Tue 1 9:40'], ['la 3ra', 'Wed 2 9:00'],
  ])('a list number: %s → %s', (text, slot) => expect(read(text)).toEqual(['pick', slot]));

  it.each([
    ['the first one', 'Tue 1 9:00'], ['the second one please', 'Tue 1 9:40'], ['the last one', 'Wed 2 9:40'],
    ['la primera', 'Tue 1 9:00'], ['la segunda', 'Tue 1 9:40'], ['la última', 'Wed 2 9:40'], ['el ultimo', 'Wed 2 9:40'],
    ['the second wednesday one', 'Wed 2 9:40'],
  ])('an ordinal: %s → %s', (text, slot) => expect(read(text)).toEqual(['pick', slot]));

  it.each([
    ['the tuesday one', 'Tue 1 9:00'], ['el del jueves', 'Thu 3 9:00'], ['Wednesday!', 'Wed 2 9:00'],
    ['miercoles', 'Wed 2 9:00'], ['el miércoles porfa', 'Wed 2 9:00'], ['mañana', 'Tue 1 9:00'], ['tomorrow', 'Tue 1 9:00'],
    ['pasado mañana', 'Wed 2 9:00'],
  ])('a day with one offered slot: %s → %s', (text, slot) => expect(read(text, onePerDay)).toEqual(['pick', slot]));

  it.each([
    ['tuesday', ['Tue 1 9:00', 'Tue 1 9:40']],
    ['el martes', ['Tue 1 9:00', 'Tue 1 9:40']],
    ['mañana', ['Tue 1 9:00', 'Tue 1 9:40']],
    ['in the morning', ['Tue 1 9:00', 'Tue 1 9:40', 'Wed 2 9:00', 'Wed 2 9:40']],
    ['9', ['Tue 1 9:00', 'Wed 2 9:00']],
  ])('several offered matches: %s → ambiguous', (text, matches) => expect(read(text)).toEqual(['ambiguous', matches]));

  it.each([
    ['wednesday at 9:40', 'Wed 2 9:40'],
    ['miércoles a las 9:40', 'Wed 2 9:40'],
    ['mañana a las 11', 'Tue 1 11:00'],
    ['manana a las 11 am', 'Tue 1 11:00'],
    ['tomorrow at 3pm', 'Tue 1 15:00'],
    ['mañana a las 3 de la tarde', 'Tue 1 15:00'],
    ['mañana 3', 'Tue 1 15:00'],
    ['tmrw 15:00', 'Tue 1 15:00'],
    ['mañana por la tarde a las 3', 'Tue 1 15:00'],
    ['Thursday 1:40', 'Thu 3 13:40'],
    ['jueves a la 1:40 pm', 'Thu 3 13:40'],
    ['el viernes a las 12:20', 'Fri 4 12:20'],
    ['Fri, Dec 4, 2:20 PM', 'Fri 4 14:20'],
    ['vie 4 dic, 2:20 p. m.', 'Fri 4 14:20'],
    ['dec 3 at 9', 'Thu 3 9:00'],
    ['el 3 de diciembre a las 9 de la mañana', 'Thu 3 9:00'],
    ['pasado mañana a las 10:20', 'Wed 2 10:20'],
    ['el lunes a las 9', 'Mon 7 9:00'], // said on a Monday with nothing left today: next Monday
  ])('a free slot outside the list: %s → %s', (text, slot) => expect(read(text)).toEqual(['pick', slot]));

  it.each([
    ['mañana a las 10:20', ['Tue 1 9:00', 'Tue 1 9:40', 'Tue 1 11:00']], // taken
    ['tomorrow at 10', ['Tue 1 9:00', 'Tue 1 9:40', 'Tue 1 11:00']], // not on the 40-minute grid
    ['tomorrow at 6pm', ['Tue 1 15:00', 'Tue 1 15:40', 'Tue 1 16:20']], // after closing
    ['saturday', ['Fri 4 15:00', 'Fri 4 15:40', 'Fri 4 16:20']], // closed
    ['el sábado a las 10', ['Fri 4 15:00', 'Fri 4 15:40', 'Fri 4 16:20']],
    ['next monday at 8', ['Mon 7 9:00', 'Mon 7 9:40', 'Mon 7 10:20']], // before opening
    ['today at 2pm', ['Tue 1 9:00', 'Tue 1 9:40', 'Tue 1 11:00']], // inside the lead time
    ['hoy', ['Tue 1 9:00', 'Tue 1 9:40', 'Tue 1 11:00']],
  ])('a clear time that is not free: %s → unavailable with the nearest free', (text, near) => {
    expect(read(text)).toEqual(['unavailable', near]);
  });

  it('reads the afternoon against free slots when no offered slot fits', () => {
    expect(read('por la tarde')).toEqual(['ambiguous', ['Tue 1 12:20', 'Tue 1 13:00', 'Tue 1 13:40']]);
    expect(read('wednesday afternoon')).toEqual(['ambiguous', ['Wed 2 12:20', 'Wed 2 13:00', 'Wed 2 13:40']]);
  });

  it.each([
    'other', 'another day', 'Another time please', 'none of those', 'none work for me', 'otro', 'otra hora', 'otro día',
    'ninguno', 'ninguna de las 2', 'ninguna me sirve', 'not tuesday', 'no puedo el martes',
  ])('%s → other', (text) => expect(read(text)).toEqual(['other']));

  it('reads a day given after "another day" instead of asking for other', () => {
    expect(read('ninguna, mejor el jueves a las 9', onePerDay)).toEqual(['pick', 'Thu 3 9:00']);
  });

  it.each(['banana', '', 'hola', 'ok', 'gracias 🙏', 'I have 3 kids', 'what is the fee?', '🤷‍♀️', 'yes'])(
    '%j → undefined',
    (text) => expect(read(text)).toBeUndefined(),
  );
});
